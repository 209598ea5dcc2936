k-case-1Ú‰
domestic_violenceUtrecht-West*4Melding via Veilig Thuis; herhaald huiselijk geweld.2"Fatima Ã–ztÃ¼rk*
1988-02-292"	K. Jansen