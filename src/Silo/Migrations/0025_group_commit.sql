-- Group commit (GroupCommitLedgerWriter): a batch writes many postings in one database transaction, so its row locks
-- on ledger accounts are held across postings. Two batches locking their accounts posting by posting could wait on
-- each other (deadlock). Each batch therefore locks every account it will touch first, in id order, the order every
-- single posting uses too; batches then wait for each other at most, never in a cycle. The runtime role cannot lock
-- account rows itself (it has no UPDATE on them), hence this owner-run function, which only locks.
create function ledger.lock_accounts(ids uuid[]) returns void language plpgsql security definer
set search_path = pg_catalog, ledger as $$
declare
    locked uuid;
begin
    for locked in select a.id from ledger.accounts a where a.id = any(ids) order by a.id for update loop
        null;
    end loop;
end $$;
revoke all on function ledger.lock_accounts(uuid[]) from public;
