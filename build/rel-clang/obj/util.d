build/rel-clang/obj/util.o: src/util.c include/util.h

include/util.h:
