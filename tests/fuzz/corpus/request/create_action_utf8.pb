$5f0c2a4e-8d1b-4c3a-9e7f-2b6d1a0c9e11��*yGesprek met moeder over het veiligheidsplan — café ‘De Eik’, tolk Tigrinya ትግርኛ 🤝
Tweede regel	met tab. 2
2026-03-15