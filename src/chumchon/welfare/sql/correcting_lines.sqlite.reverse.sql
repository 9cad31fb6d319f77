DROP TRIGGER IF EXISTS welfare_claimpaymentvoid_lines;
DROP TRIGGER IF EXISTS welfare_contributionrefund_lines;
DROP TRIGGER IF EXISTS welfare_contributionvoid_lines;
