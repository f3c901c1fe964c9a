-- Full-text search over articles, and the comment counts content-service learns from majlis.comments.v1.

-- The article's words without markup; search reads them and the snippet is cut from them.
alter table article
    add column body_text     text     not null default '',
    -- Filled by every write from the title (A), summary and tags (B) and the body (D).
    add column search        tsvector not null default ''::tsvector,
    add column comment_count integer  not null default 0;

update article
   set body_text = markdown,
       search = setweight(to_tsvector('english', title), 'A')
             || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
             || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'B')
             || setweight(to_tsvector('english', markdown), 'D');

create index article_search_idx on article using gin (search);

-- Whether each comment content-service has heard of counts (only published comments do), so an edit, a
-- moderation or a deletion moves its article's count by exactly what changed.
create table counted_comment (
    comment_id uuid    primary key,
    article_id uuid    not null,
    counted    boolean not null
);

-- Events already applied, by CloudEvents id: a replayed event changes nothing.
create table consumed_event (
    id          uuid        primary key,
    consumed_at timestamptz not null default now()
);
