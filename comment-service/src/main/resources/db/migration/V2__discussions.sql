-- Discussions: the articles as content-service announces them, threaded comments, each article's stream of
-- changes, the outbox that announces them, and the requests already answered under an Idempotency-Key.

-- comment-service's own copy of majlis.articles.v1: enough to decide whether a comment may be posted.
create table article (
    id               uuid        primary key,
    slug             text        not null unique,
    title            text        not null,
    comments_enabled boolean     not null,
    status           text        not null check (status in ('published', 'withdrawn')),
    -- The article version of the event applied last: an older or repeated event changes nothing.
    version          integer     not null,
    -- The last position given out in the article's stream of changes. Taking the next one locks the row, so
    -- an article's changes commit in the order of their positions.
    last_seq         bigint      not null default 0,
    updated_at       timestamptz not null default now()
);

alter table comment
    add constraint comment_article_fk foreign key (article_id) references article (id),
    add column depth            integer not null default 0,
    add column body_markdown    text    not null default '',
    -- SHA-256 of the lower-cased address; the address itself is never stored.
    add column author_email_hash text,
    -- SHA-256 of the edit token handed out once to the author of an anonymous comment.
    add column edit_token_hash  text,
    add column reply_count      integer not null default 0,
    add column score            integer not null default 0;

-- An article's top-level comments in stream order, and each comment's replies.
create index comment_roots_idx on comment (article_id, seq) where parent_id is null;
create index comment_replies_idx on comment (parent_id, seq) where parent_id is not null;
create index comment_top_idx on comment (article_id, score desc, seq) where parent_id is null;

-- Every change of every comment, in the article's stream order: what a reconnecting reader missed is read here.
create table comment_event (
    article_id  uuid        not null references article (id),
    seq         bigint      not null,
    comment_id  uuid        not null references comment (id),
    type        text        not null,
    -- The event's data, exactly as published on majlis.comments.v1.
    payload     jsonb       not null,
    -- Whether readers' streams carry it (pending comments and their moderation stay out).
    visible     boolean     not null,
    occurred_at timestamptz not null default now(),
    primary key (article_id, seq)
);

-- Debezium's outbox-router columns (id, aggregatetype, aggregateid, type, payload), as in content-service.
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

create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('majlis_outbox', '');
    return null;
end;
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();

-- Answers given under an Idempotency-Key: the same key and body get the same answer and store nothing new.
create table idempotent_request (
    key          text        primary key,
    request_hash text        not null,
    status       integer     not null,
    response     jsonb       not null,
    created_at   timestamptz not null default now()
);
