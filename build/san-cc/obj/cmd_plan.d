build/san-cc/obj/cmd_plan.o: src/cmd_plan.c include/cli.h include/util.h \
 include/cmd.h include/dag.h include/plan.h include/diag.h
include/cli.h:
include/util.h:
include/cmd.h:
include/dag.h:
include/plan.h:
include/diag.h:
