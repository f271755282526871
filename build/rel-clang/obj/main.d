build/rel-clang/obj/main.o: src/main.c include/cli.h include/util.h

include/cli.h:

include/util.h:
