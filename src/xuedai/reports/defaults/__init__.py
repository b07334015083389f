"""违约名单: borrowers over one year in arrears without contact, for publication and for the
degree-verification notice, produced only with a supervisor's approval ([003 第二十八条, 第三十一条];
[001 附件四]; DOMAIN.md §6 Default consequences)."""
