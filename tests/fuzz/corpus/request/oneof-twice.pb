bR
x