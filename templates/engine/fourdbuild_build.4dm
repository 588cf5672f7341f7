//%attributes = {"invisible":true}
// Added by 4dbuild to a private copy of the project (never to the project itself) and run as:
//   4D --project <copy>/Project/<Name>.4DProject --headless --dataless --skip-onstartup
//      --startup-method fourdbuild_build --user-param <request>
// <request> is JSON: {"settings": <buildApp.4DSettings>, "result": <file to write>}, platform paths.
// It runs BUILD APPLICATION with those settings, then writes the result file:
//   {"ok": <the OK variable>, "log": <the build log's platform path>, "errors": [{errCode, message, componentSignature}]}
// and quits. 4dbuild reads the result and the log: nothing here decides whether the build succeeded.
// BUILD APPLICATION: https://developer.4d.com/docs/21/commands/build-application (OK is 1 on success; errors
// can be caught with ON ERR CALL). Last errors: https://developer.4d.com/docs/21-R2/commands/last-errors (19 R8+).

var $param : Text
var $request; $result : Object

Get database parameter(User param value; $param)
$request:=JSON Parse($param)
fourdbuild_errors:=New collection

MESSAGES OFF
ON ERR CALL("fourdbuild_error")
BUILD APPLICATION(String($request.settings))
$result:=New object("ok"; OK; "errors"; fourdbuild_errors)
ON ERR CALL("")

$result.log:=File(Build application log file).platformPath
File(String($request.result); fk platform path).setText(JSON Stringify($result; *))
QUIT 4D
