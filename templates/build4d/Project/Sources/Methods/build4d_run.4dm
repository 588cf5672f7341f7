//%attributes = {"invisible":true}
// Run by 4dbuild in a private copy of its Build4D runner project, Build4D (4d/Build4D, MIT licence, fetched at a
// pinned commit) as the interpreted component Components/Build4D.4dbase:
//   4D --project <copy>/Project/Build4DRunner.4DProject --headless --dataless --skip-onstartup
//      --startup-method build4d_run --user-param <request>
// <request> is JSON: {"request": <file>, "result": <file to write>}; the request file (private to the user: it
// holds real values) is JSON: {"units": [{"class": "CompiledProject" | "Component" | "Standalone" | "Server" |
// "Client", "settings": <Build4D settings object, platform paths>}]}.
// Each unit is built with cs.Build4D[class].new(settings).build() (Build4D/Documentation/Classes/*.md), in order.
// The result: {"ok": 1 when every build() returned True, "units": [{class, success, logs}], "errors": [...]}.

var $param : Text
var $request; $units; $result; $unit; $builder : Object
var $success : Boolean

Get database parameter(User param value; $param)
$request:=JSON Parse($param)
$units:=JSON Parse(File(String($request.request); fk platform path).getText())
build4d_errors:=New collection
$result:=New object("ok"; 1; "units"; New collection)

ON ERR CALL("build4d_error")
For each ($unit; $units.units)
	$builder:=cs.Build4D[$unit.class].new($unit.settings)
	$success:=$builder.build()
	$result.units.push(New object("class"; $unit.class; "success"; $success; "logs"; $builder.logs))
	If (Not($success))
		$result.ok:=0
	End if 
End for each 
ON ERR CALL("")

$result.errors:=build4d_errors
File(String($request.result); fk platform path).setText(JSON Stringify($result; *))
QUIT 4D
