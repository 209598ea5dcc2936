"Caction point changedversionb M*"
Huisbezoek:
2026-04-01@P