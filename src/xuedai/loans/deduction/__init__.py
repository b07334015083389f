"""Deduction runs (批量扣款): the files sent to a channel, the result files read back, the postings.

- :mod:`.layouts`  the 扣款明细表 and 批量扣款信息表(代理行版) columns (Chinese headers)
- :mod:`.files`    writing (xlsx via xlsxwriter constant_memory; CSV past Excel's row limit), reading
- :mod:`.services` building a run's lines and writing its file
- :mod:`.results`  importing a channel's result file (first or correcting), refused whole when bad
- :mod:`.posting`  posting each result-file row exactly once
"""
