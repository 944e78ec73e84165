// libxml2's SAX2 interface, for ExoFormats' streaming RDML reader.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
