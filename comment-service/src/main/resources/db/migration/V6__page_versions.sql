-- Votes change what a discussion's pages show (scores, and the order of "top") without taking a position in the
-- article's stream. Each vote counts here, so that a page read before it is known to be out of date (PageCache).
-- A row of its own, not a column of article: a vote locks its comment first, and a reply locks the article first
-- and its parent comment after, so a vote that then waited for the article could deadlock with a reply.
create table discussion_votes (
    article_id uuid   primary key,
    votes      bigint not null
);
