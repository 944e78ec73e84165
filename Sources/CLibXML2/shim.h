// libxml2's SAX2 interface, for ExoFormats' streaming RDML reader.
//
// Debian builds libxml2 with ICU, so encoding.h would include the system's <unicode/*.h>, whose
// declarations clash with the ICU copy inside Foundation (_FoundationICU). ExoScope never touches the
// ICU members of xmlCharEncodingHandler (it only holds pointers to it), so the ICU part is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
