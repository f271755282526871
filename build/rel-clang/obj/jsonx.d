build/rel-clang/obj/jsonx.o: src/jsonx.c include/jsonx.h include/diag.h \
  include/util.h

include/jsonx.h:

include/diag.h:

include/util.h:
