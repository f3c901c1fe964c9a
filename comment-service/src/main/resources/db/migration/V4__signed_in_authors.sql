-- A signed-in reader's comments carry their subject (from their token), so they can change them without a token.
alter table comment add column author_subject text;
