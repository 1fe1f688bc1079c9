-- SPEC.md 2.4 `reversal`: a correction is a new transaction linked to the one it negates. The link is a column, not
-- meta, so the database itself keeps it pointing at a real transaction, reserves it to reversals, and allows at most
-- one reversal of any transaction whatever key a caller chose (the key reversal:{id} makes the same promise by
-- convention only).
alter table ledger.transactions add column reverses_transaction_id uuid references ledger.transactions (id);
alter table ledger.transactions add constraint transactions_reversal_link
    check ((kind = 'reversal') = (reverses_transaction_id is not null));
create unique index transactions_reverses on ledger.transactions (reverses_transaction_id) where reverses_transaction_id is not null;
