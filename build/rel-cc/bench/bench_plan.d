build/rel-cc/bench/bench_plan: tests/bench/bench_plan.c include/dag.h \
 include/plan.h include/diag.h include/util.h
include/dag.h:
include/plan.h:
include/diag.h:
include/util.h:
