"""County archives (DOMAIN.md §3.1 step 8): received items, box numbers, the missing-items report."""
