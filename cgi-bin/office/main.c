/* main.c: the recruiter back-office program */
#include "cgi-bin/office/office.h"

int
main(int argc, char **argv)
{
	return web_main(&office_app, argc, argv);
}
