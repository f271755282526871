build/rel-clang/obj/plan.o: src/plan.c include/plan.h include/diag.h \
  include/util.h include/dag.h include/jsonx.h include/plan_ld.h

include/plan.h:

include/diag.h:

include/util.h:

include/dag.h:

include/jsonx.h:

include/plan_ld.h:
