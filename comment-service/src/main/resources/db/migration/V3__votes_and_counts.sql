-- Votes on comments, and each article's count of published comments for list pages.

create table vote (
    comment_id uuid        not null references comment (id),
    -- A signed-in reader's subject, or the random id an anonymous reader's browser keeps.
    voter      text        not null,
    value      smallint    not null check (value in (-1, 1)),
    voted_at   timestamptz not null default now(),
    primary key (comment_id, voter)
);

alter table article add column published_count integer not null default 0;

update article a
   set published_count = (select count(*) from comment c where c.article_id = a.id and c.status = 'published');
