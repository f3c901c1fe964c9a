-- Wakes the relay as soon as a change that wrote to the outbox commits (NOTIFY is delivered at commit), so events
-- leave within milliseconds instead of at the next poll.
create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('majlis_outbox', '');
    return null;
end;
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
