
k-person-1�'
%*"Fatima Öztürk*
1988-02-290