"""Post-loan documents (DOMAIN.md §7), built with xuedai.documents (render_pdf, xlsx_table):

- register: 学生台账 (xlsx) — graduating borrowers by year
- letters: 还款确认书 (PDF per borrower), 还款确认书汇总表 (PDF and xlsx per department)
- card: 还款提醒卡 (85.6 × 54 mm card PDF, front and back)
- contact_register: 逾期学生联系台账 (xlsx, monthly)

Identity numbers and mobiles are masked in every document here except the university office's
full register export, which is a deliberate, audited choice (see register).
"""
