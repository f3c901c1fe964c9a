-- Notifications: people who follow a discussion or the replies to their comment by e-mail, sites that receive
-- webhooks, and every delivery owed to either, recorded before it is sent.

-- An e-mail subscription. It sends nothing until its address confirmed it (double opt-in); its unsubscribe
-- token is in every mail it causes, so leaving needs no sign-in. Tokens are 256 random bits.
create table subscription (
    id                   uuid        primary key,
    -- discussion: every new comment of the article; replies: every reply to comment_id.
    kind                 text        not null check (kind in ('discussion', 'replies')),
    article_id           uuid        not null references article (id),
    comment_id           uuid        references comment (id) on delete cascade,
    -- Stored because the subscriber asked to be mailed; the hash finds their own comments (author_email_hash).
    address              text        not null,
    address_hash         text        not null,
    -- Who subscribed, when they were signed in: their own signed-in comments are not announced to them.
    subscriber_subject   text,
    mode                 text        not null check (mode in ('immediate', 'digest')),
    status               text        not null check (status in ('pending', 'confirmed', 'unsubscribed')),
    confirm_token        text        unique,
    unsubscribe_token    text        not null unique,
    created_at           timestamptz not null,
    confirmation_sent_at timestamptz,
    confirmed_at         timestamptz,
    unsubscribed_at      timestamptz,
    -- When the row is deleted: an unconfirmed request once its link expires, an ended subscription once the
    -- retention has passed (its address is erased at once). Null while confirmed.
    lapses_at            timestamptz,
    constraint subscription_kind_target check ((kind = 'replies') = (comment_id is not null))
);

-- One live subscription per address and discussion, and per address and comment.
create unique index subscription_discussion_once on subscription (article_id, address_hash)
    where kind = 'discussion' and status <> 'unsubscribed';
create unique index subscription_replies_once on subscription (comment_id, address_hash)
    where kind = 'replies' and status <> 'unsubscribed';

-- A site or tool told of new comments by signed HTTP POSTs (CloudEvents in structured JSON).
create table webhook (
    id              uuid        primary key,
    url             text        not null,
    -- The signing key (Standard Webhooks: HMAC-SHA256 over "id.timestamp.body").
    secret          text        not null,
    -- The slugs of the articles it hears of; null for every article.
    articles        text[],
    -- failing: a delivery gave up (dead-lettered); an editor retries it, or the next success clears it.
    status          text        not null check (status in ('active', 'failing')),
    created_by      text,
    created_at      timestamptz not null,
    failing_since   timestamptz,
    last_error      text,
    last_success_at timestamptz
);

-- Every delivery owed, recorded before it is sent: the notifier inserts them with "on conflict do nothing", so
-- a replayed event owes nothing new, and a delivery recorded before a crash is sent after it.
create table delivery (
    id               uuid        primary key,
    -- The ce_id of the comment event that caused it; confirm:<subscription> or digest:<id> for the others.
    event_id         text        not null,
    -- mail:<address hash> or webhook:<id>: one delivery per event and subscriber.
    subscriber       text        not null,
    kind             text        not null
                                 check (kind in ('confirmation', 'comment', 'digest-item', 'digest', 'webhook')),
    subscription_id  uuid        references subscription (id) on delete cascade,
    webhook_id       uuid        references webhook (id) on delete cascade,
    comment_id       uuid        references comment (id) on delete cascade,
    -- The digest a digest item went out in.
    digest_id        uuid        references delivery (id) on delete cascade,
    -- A webhook's request body, exactly as it is signed and sent each time.
    payload          text,
    -- pending: to send; held: waits for its digest; bundled: in a digest; sent; dead: gave up; dropped: no
    -- longer owed (the comment was hidden or deleted, or the subscriber left, before it went out).
    state            text        not null
                                 check (state in ('pending', 'held', 'bundled', 'sent', 'dead', 'dropped')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    -- An instance sending it holds it until then; after a crash, another takes it once this has passed.
    claimed_until    timestamptz,
    last_error       text,
    created_at       timestamptz not null,
    sent_at          timestamptz,
    dead_at          timestamptz,
    -- When it was sent, dropped or given up; kept for the retention after that (an editor's retry clears it).
    finished_at      timestamptz,
    -- When the dead delivery reached majlis.notifications.dlq.v1.
    dead_lettered_at timestamptz,
    constraint delivery_once unique (event_id, subscriber)
);

-- A comment is announced to each subscriber once, whichever event (created, or approved by a moderator) did it.
create unique index delivery_comment_once on delivery (comment_id, subscriber)
    where kind in ('comment', 'digest-item', 'webhook');
create index delivery_due_idx on delivery (next_attempt_at) where state = 'pending';
create index delivery_held_idx on delivery (subscription_id, created_at) where state = 'held';
create index delivery_dead_idx on delivery (dead_at) where state = 'dead' and dead_lettered_at is null;
create index delivery_webhook_idx on delivery (webhook_id, state) where webhook_id is not null;

-- Wakes the notifier's senders, on every instance, when deliveries are recorded (once they commit).
create function delivery_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('majlis_delivery', '');
    return null;
end;
$$;

create trigger delivery_notify after insert on delivery for each statement execute function delivery_notify();
