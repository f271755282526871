build/rel-clang/tests/test_dag: tests/unit/test_dag.c include/dag.h \
  include/util.h

include/dag.h:

include/util.h:
