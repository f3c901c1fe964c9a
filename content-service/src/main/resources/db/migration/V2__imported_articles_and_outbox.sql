-- Articles as imported from MkDocs pages, and the outbox that announces their changes.
alter table article
    add column series        text,
    add column day           integer,
    add column tags          text[]      not null default '{}',
    add column article_date  date,
    add column metadata      jsonb       not null default '{}',
    add column markdown      text        not null default '',
    add column html          text        not null default '',
    add column toc           jsonb       not null default '[]',
    add column version       integer     not null default 1,
    -- SHA-256 of the page as imported: an unchanged page is recognised and changes nothing.
    add column content_hash  text        not null default '';

create index article_series_idx on article (series, day);
create index article_tags_idx on article using gin (tags);

-- Debezium's outbox-router columns (id, aggregatetype, aggregateid, type, payload), so an operator running
-- Kafka Connect can replace the built-in relay. position orders the relay; published_at marks what it sent.
create table outbox (
    id            uuid        primary key,
    aggregatetype text        not null,
    aggregateid   text        not null,
    type          text        not null,
    payload       jsonb       not null,
    subject       text        not null,
    occurred_at   timestamptz not null default now(),
    position      bigint      generated always as identity,
    published_at  timestamptz
);

create index outbox_unpublished_idx on outbox (position) where published_at is null;
