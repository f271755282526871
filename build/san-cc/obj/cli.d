build/san-cc/obj/cli.o: src/cli.c include/cli.h include/util.h \
 include/cmd.h include/plan.h include/diag.h
include/cli.h:
include/util.h:
include/cmd.h:
include/plan.h:
include/diag.h:
