DROP TRIGGER IF EXISTS ledger_entry_sequence_no_truncate ON ledger_entrysequence;
DROP TRIGGER IF EXISTS ledger_entry_sequence_guard ON ledger_entrysequence;
DROP FUNCTION IF EXISTS ledger_entry_sequence_guard();
DROP TRIGGER IF EXISTS ledger_entry_number ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_entry_number();
