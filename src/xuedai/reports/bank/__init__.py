"""The bank branch's post-loan work: its collection records (催收) and its quarterly repayment report
to each university ([003 第二十九条] "代理行…按季度将学生还款情况告知高校机构"; DOMAIN.md §5)."""
