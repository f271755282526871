build/san-cc/obj/diag.o: src/diag.c include/diag.h include/util.h
include/diag.h:
include/util.h:
