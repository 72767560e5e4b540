#include <stdio.h>
int main(void) { puts("mahoraga"); return 0; }
