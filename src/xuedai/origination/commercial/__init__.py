"""商业助学贷款 (DOMAIN.md §3.3): its transition table, rules and services."""
