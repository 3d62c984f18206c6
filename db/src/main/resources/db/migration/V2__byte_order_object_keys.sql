-- S3 Scanner schema, version 2: object keys compare byte for byte, as S3 compares them.
--
-- S3 orders and compares keys by their UTF-8 bytes (ListObjectsV2 returns them in that order).
-- Under a linguistic collation, such as en_US.UTF-8 (RDS for PostgreSQL's default), text
-- comparisons go through strcoll and order keys differently from S3 ('a-b' and 'ab', case, and
-- punctuation are weighed by language rules). With COLLATE "C" PostgreSQL compares the UTF-8
-- bytes with memcmp:
--   * ORDER BY key and keyset pagination on key follow S3's order on every server;
--   * a listed page arrives in the primary key's order, so its rows are appended at the right
--     edge of the (job_id, key) index rather than spread over it, and each comparison is a memcmp.
-- findings.key gets the same collation, so that both key columns order and compare keys alike.
-- Comparisons with columns or parameters of the default collation keep working: PostgreSQL lets a
-- column's collation win over "default".
--
-- Only the collation changes: no table rewrite (text to text), but the indexes on the two columns
-- are rebuilt.

ALTER TABLE job_objects ALTER COLUMN key TYPE text COLLATE "C";
ALTER TABLE findings ALTER COLUMN key TYPE text COLLATE "C";
