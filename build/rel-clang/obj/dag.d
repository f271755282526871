build/rel-clang/obj/dag.o: src/dag.c include/dag.h include/util.h

include/dag.h:

include/util.h:
