Âc€òÖÊ"M. de Groot2
	* (:i*	2026-0042domestic_violenceHZ%*"Fatima Ã–ztÃ¼rk*
1988-02-290Z"	K. Jansen`hrno covenant