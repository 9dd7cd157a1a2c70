/* main.c: the public talent-community program */
#include "cgi-bin/community/community.h"

int
main(int argc, char **argv)
{
	return web_main(&community_app, argc, argv);
}
