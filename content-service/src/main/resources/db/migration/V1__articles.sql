-- The articles content-service owns. Importing (Markdown, front matter, rendering) grows this table.
create table article (
    id               uuid        primary key,
    slug             text        not null unique,
    title            text        not null,
    summary          text,
    status           text        not null default 'published'
                                 check (status in ('draft', 'published', 'withdrawn')),
    comments_enabled boolean     not null default true,
    published_at     timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

-- Newest first, the order every list page reads in.
create index article_published_idx on article (published_at desc, id desc) where status = 'published';
