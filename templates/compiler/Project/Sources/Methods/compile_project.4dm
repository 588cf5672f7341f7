//%attributes = {"invisible":true}
// Run by 4dbuild as:
//   tool4d --project Compiler.4DProject --dataless --skip-onstartup --startup-method compile_project --user-param <request>
// <request> is JSON: {"project": <.4DProject path>, "options": <Compile project options>,
//   "plugins": <folder path>, "components": [<.4DZ paths>], "result": <file to write>, "errorFlag": <file to create on failure>}
// Paths are platform paths. The result is the object Compile project returns, as JSON.

var $param : Text
var $request; $options; $result; $error : Object
var $path : Text

Get database parameter(User param value; $param)
$request:=JSON Parse($param)
$options:=$request.options

If ($request.plugins#Null)
	$options.plugins:=Folder($request.plugins; fk platform path)
End if
If ($request.components#Null)
	$options.components:=New collection
	For each ($path; $request.components)
		$options.components.push(File($path; fk platform path))
	End for each
End if

$result:=Compile project(File($request.project; fk platform path); $options)

// 4D.File objects do not survive JSON: keep their platform paths.
If ($result.errors#Null)
	For each ($error; $result.errors)
		If ($error.code#Null)
			If ($error.code.file#Null)
				$error.code.file:=$error.code.file.platformPath
			End if
		End if
	End for each
End if

File($request.result; fk platform path).setText(JSON Stringify($result; *))
If (Not(Bool($result.success)))
	File($request.errorFlag; fk platform path).setText("compilation failed")
End if
QUIT 4D
