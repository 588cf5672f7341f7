//%attributes = {"invisible":true}
// Run by 4dbuild as:
//   tool4d --project Compiler.4DProject --dataless --skip-onstartup --startup-method deployment_license --user-param <request>
// <request> is JSON: {"action": "create" | "automatic" | "info", "application": <merged application: .app or folder>,
//   "license": <.license4D>, "oemLicense": <.license4D>, "target": 1 (4D Volume Desktop) | 5 (4D Server),
//   "result": <file to write>, "errorFlag": <file to create on failure>}
// create and automatic return what Create deployment license returns, with "file" as a platform path;
// info returns {success, licenseNumber} from License info. Paths are platform paths.

var $param : Text
var $request; $result; $info : Object
var $application : 4D.Folder

Get database parameter(User param value; $param)
$request:=JSON Parse($param)

Case of
	: ($request.action="info")
		$info:=License info
		$result:=New object("success"; $info.licenseNumber#Null)
		If ($result.success)
			$result.licenseNumber:=String($info.licenseNumber)
		End if
	: ($request.action="automatic")
		$application:=Folder($request.application; fk platform path)
		$result:=Create deployment license($application; Num($request.target))
	: ($request.oemLicense#Null)
		$application:=Folder($request.application; fk platform path)
		$result:=Create deployment license($application; File($request.license; fk platform path); File($request.oemLicense; fk platform path))
	Else
		$application:=Folder($request.application; fk platform path)
		$result:=Create deployment license($application; File($request.license; fk platform path))
End case

// 4D.File objects do not survive JSON: keep the platform path.
If ($result.file#Null)
	$result.file:=$result.file.platformPath
End if

File($request.result; fk platform path).setText(JSON Stringify($result; *))
If (Not(Bool($result.success)))
	File($request.errorFlag; fk platform path).setText("deployment license failed")
End if
QUIT 4D
