-- L1 (every transaction has >= 2 entries summing to 0) was checked at commit once per transaction row and again once
-- per entry: three identical checks for a transfer. The per-entry check only ever added something for an entry
-- appended to a transaction written earlier, and migration 0010 refuses such an entry outright (an entry is written
-- in its transaction's own database transaction, never later), so the transaction row's check at commit sees every
-- entry the transaction will ever have. Dropping the per-entry copy saves two checks per transfer and changes no rule.
drop trigger entries_balanced on ledger.entries;
