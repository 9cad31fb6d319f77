DROP TRIGGER IF EXISTS welfare_claimpaymentvoid_lines ON welfare_claimpaymentvoid;
DROP FUNCTION IF EXISTS welfare_claimpaymentvoid_lines();
DROP TRIGGER IF EXISTS welfare_contributionrefund_lines ON welfare_contributionrefund;
DROP FUNCTION IF EXISTS welfare_contributionrefund_lines();
DROP TRIGGER IF EXISTS welfare_contributionvoid_lines ON welfare_contributionvoid;
DROP FUNCTION IF EXISTS welfare_contributionvoid_lines();
