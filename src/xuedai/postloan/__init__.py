"""Post-loan management (贷后) for graduating borrowers — DOMAIN.md §5, §8, §9; seed [000].

The university's year, as [000] lays it out, and where each step lives here:

- April — 学生台账 by graduation year, split by department and responsible person (包干到人):
  selectors.graduating_borrowers, services.assignments, documents.register
- May — 还款确认书, its 汇总表, 还款提醒卡: documents.letters, documents.card
- June, by 30 June — online 毕业确认 by the student, confirmed by the university:
  services.confirmation, selectors.missing_by_department
- quarterly contacts, monthly 逾期学生联系台账, 失联 handed to the county: services.contacts,
  selectors.coverage_by_department, documents.contact_register
- 20 Nov–20 Dec and after failed deductions — reminders through pluggable channels: reminders/

Borrowers who have paid off are on none of the lists (DOMAIN.md §5, last sentence).
"""
