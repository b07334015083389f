"""征信报送: each borrower's repayment records for the PBOC credit bureau, monthly, with corrections
(DOMAIN.md §6 Default consequences; [001 四]; [003 第二十八条]). Layout: docs/征信报送文件格式.md."""
