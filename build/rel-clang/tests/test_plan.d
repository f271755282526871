build/rel-clang/tests/test_plan: tests/unit/test_plan.c include/dag.h \
  include/plan.h include/diag.h include/util.h

include/dag.h:

include/plan.h:

include/diag.h:

include/util.h:
