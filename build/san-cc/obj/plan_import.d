build/san-cc/obj/plan_import.o: src/plan_import.c include/plan.h \
 include/diag.h include/util.h include/plan_ld.h include/jsonx.h \
 include/plan.h
include/plan.h:
include/diag.h:
include/util.h:
include/plan_ld.h:
include/jsonx.h:
include/plan.h:
