build/rel-clang/obj/diag.o: src/diag.c include/diag.h include/util.h

include/diag.h:

include/util.h:
