"""校园地国家助学贷款 (DOMAIN.md §3.2): its transition table, rules and services."""
