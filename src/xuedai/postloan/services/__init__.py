"""Writes of the post-loan app: keyword-only, atomic, audited (ARCHITECTURE, app rooms).

- assignments: 包干到人 — assign, reassign, end
- confirmation: 毕业确认 — apply (student), edit / return / confirm (university); 还款确认书 register
- contacts: contact log, 失联 flag to the county, the county's trace result
"""
