-- The comments comment-service owns. The article columns are copied from majlis.articles.v1 events,
-- never read from content-service's tables. Discussion features grow this table.
create table comment (
    id           uuid        primary key,
    article_id   uuid        not null,
    article_slug text        not null,
    parent_id    uuid        references comment (id),
    -- Orders an article's stream: SSE ids and Last-Event-ID resumption use it.
    seq          bigint      not null,
    author_name  text        not null,
    body_html    text        not null,
    status       text        not null default 'published'
                             check (status in ('published', 'pending', 'hidden', 'deleted')),
    created_at   timestamptz not null default now(),
    edited_at    timestamptz,
    constraint comment_seq_per_article unique (article_id, seq)
);
