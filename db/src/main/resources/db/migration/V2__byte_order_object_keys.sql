-- S3 Scanner schema, version 2: object keys compare byte for byte, as S3 compares them.
--
-- S3 orders and compares keys by their UTF-8 bytes (ListObjectsV2 returns them in that order).
-- Under a linguistic collation (the server default, e.g. en_US.UTF-8 or C.UTF-8) the text
-- comparison goes through strcoll and, for en_US, orders keys differently from S3. With
-- COLLATE "C" PostgreSQL compares the UTF-8 bytes with memcmp:
--   * the (job_id, key) primary key is cheaper to maintain, and a listed page arrives in index
--     order, so its rows are appended at the right edge of the index instead of scattered;
--   * key order in queries (ORDER BY key, keyset pagination on key) is S3's order.
-- findings.key gets the same collation, so that both key columns order and compare keys alike
-- (and its unique index compares with memcmp too). Comparisons with columns or parameters of the
-- default collation keep working: PostgreSQL lets a column's explicit collation win over "default".
--
-- Only the collation changes: no table rewrite (text to text), but the indexes on the columns are
-- rebuilt.

ALTER TABLE job_objects ALTER COLUMN key TYPE text COLLATE "C";
ALTER TABLE findings ALTER COLUMN key TYPE text COLLATE "C";
