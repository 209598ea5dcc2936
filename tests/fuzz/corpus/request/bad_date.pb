$5f0c2a4e-8d1b-4c3a-9e7f-2b6d1a0c9e11º–ÿÿÿÿÿÿÿÿÿyGesprek met moeder over het veiligheidsplan â€” cafÃ© â€˜De Eikâ€™, tolk Tigrinya á‰µáŒáˆ­áŠ› ğŸ¤
Tweede regel	met tab. 2
2027-02-29